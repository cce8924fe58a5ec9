// Checks each publishable package (packages/*) as `npm pack` would publish it (run `npm run build` first):
// - package.json: license MIT, repository (git, with `directory`), homepage, bugs, keywords,
//   publishConfig.access public, engines.node, and entry points (main, types, exports) that are in the tarball;
// - peers: every bare import of src/ (specs aside) is a dependency or a peer, and every peer but
//   reflect-metadata is imported (no terminus peer in a package that does not use terminus);
// - the tarball has a LICENSE (the repository's MIT text) and a README that stands on its own: an Install
//   section naming every required peer, and no relative link (npm's page cannot follow `../../README.md`);
// - every source map in the tarball points at sources that are in the tarball, and no other source ships.
// Exits 1 with one line per problem. Usage: node scripts/check-packages.mjs
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8');
const problems = [];

/** The files `npm pack` would put in the tarball of the workspace at `dir`. */
function packedFiles(dir) {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', `--workspace=${dir}`], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Set(JSON.parse(output)[0].files.map((file) => file.path));
}

/** Bare module specifiers imported (or re-exported) by the package's sources, specs aside. */
function importedPackages(srcDir) {
  const found = new Set();
  for (const entry of readdirSync(srcDir, { recursive: true })) {
    if (!entry.endsWith('.ts') || entry.endsWith('.spec.ts')) continue;
    const text = readFileSync(join(srcDir, entry), 'utf8');
    for (const match of text.matchAll(/(?<![.\w])(?:from|import)\s*\(?\s*['"]([^'"./][^'"]*)['"]/g)) {
      const specifier = match[1];
      if (specifier.startsWith('node:')) continue;
      found.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  }
  return found;
}

/** The body of the README's `## Install` section, or undefined. */
function installSection(readme) {
  const match = /^##\s+Install[^\n]*\n([\s\S]*?)(?=^##\s|(?![\s\S]))/m.exec(readme);
  return match?.[1];
}

function checkPackage(dir) {
  const pkgDir = join(root, dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) return;
  const problem = (text) => problems.push(`${pkg.name}: ${text}`);
  const files = packedFiles(dir);

  if (pkg.license !== 'MIT') problem(`license is ${JSON.stringify(pkg.license)}, expected "MIT"`);
  const repo = pkg.repository;
  if (repo?.type !== 'git' || !/^git\+https:\/\/.+\.git$/.test(repo?.url ?? '')) problem(`repository must be { type: "git", url: "git+https://….git" }, got ${JSON.stringify(repo)}`);
  if (repo?.directory !== dir) problem(`repository.directory is ${JSON.stringify(repo?.directory)}, expected "${dir}"`);
  if (!/^https:\/\//.test(pkg.homepage ?? '')) problem(`homepage is missing or not an https URL: ${JSON.stringify(pkg.homepage)}`);
  if (!/^https:\/\//.test(pkg.bugs?.url ?? '')) problem(`bugs.url is missing: ${JSON.stringify(pkg.bugs)}`);
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problem('keywords are missing');
  if (pkg.publishConfig?.access !== 'public') problem(`publishConfig.access is ${JSON.stringify(pkg.publishConfig?.access)}, expected "public" (scoped packages are private by default)`);
  if (!pkg.engines?.node) problem('engines.node is missing');
  const entries = [pkg.main, pkg.types, ...Object.values(pkg.exports ?? {}).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)))];
  for (const entry of entries.filter(Boolean)) {
    if (!files.has(posix.normalize(entry))) problem(`entry point ${entry} is not in the tarball`);
  }

  const imported = importedPackages(join(pkgDir, 'src'));
  const declared = { ...pkg.dependencies, ...pkg.peerDependencies };
  for (const name of imported) if (!(name in declared)) problem(`src imports ${name}, which is neither a dependency nor a peer`);
  for (const name of Object.keys(pkg.peerDependencies ?? {})) {
    if (name !== 'reflect-metadata' && !imported.has(name)) problem(`peer ${name} is never imported by src: drop it`);
  }

  if (!files.has('LICENSE')) problem('the tarball has no LICENSE');
  else if (readFileSync(join(pkgDir, 'LICENSE'), 'utf8') !== rootLicense) problem(`${dir}/LICENSE differs from the repository's LICENSE`);

  if (!files.has('README.md')) problem('the tarball has no README.md');
  else {
    const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
    for (const match of readme.matchAll(/\]\(\s*([^)\s]+)[^)]*\)|<(?:a|img)\s[^>]*(?:href|src)="([^"]+)"/g)) {
      const target = match[1] ?? match[2];
      if (!/^(https?:|mailto:|#)/.test(target)) problem(`README links to "${target}", which npm's page cannot follow: use an absolute URL`);
    }
    const install = installSection(readme);
    if (install === undefined) problem('README has no "## Install" section');
    else {
      const required = Object.keys(pkg.peerDependencies ?? {}).filter((name) => !pkg.peerDependenciesMeta?.[name]?.optional);
      for (const name of required) if (!install.includes(name)) problem(`README's Install section does not name the peer ${name}`);
    }
  }

  for (const file of files) {
    // Sources ship only for the maps: a shipped .ts without its compiled .js is a test helper or a stray file.
    if (file.startsWith('src/') && file.endsWith('.ts') && !files.has(`dist/${file.slice(4, -3)}.js`)) problem(`${file} is shipped but not compiled to dist/: exclude it from "files"`);
    if (!file.endsWith('.map')) continue;
    const map = JSON.parse(readFileSync(join(pkgDir, file), 'utf8'));
    for (const source of map.sources ?? []) {
      const resolved = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? '', source));
      if (!files.has(resolved)) problem(`${file} points at ${resolved}, which is not in the tarball (ship it or drop the map)`);
    }
  }
}

const dirs = readdirSync(join(root, 'packages')).map((name) => `packages/${name}`).sort();
for (const dir of dirs) checkPackage(dir);
if (!rootLicense.startsWith('MIT License')) problems.push('the repository LICENSE is not the MIT license');

if (problems.length > 0) {
  // Several maps usually share one cause: show the first few of each package's problems in full.
  console.error(`check-packages: ${problems.length} problem(s):\n- ${problems.slice(0, 40).join('\n- ')}${problems.length > 40 ? `\n- … and ${problems.length - 40} more` : ''}`);
  process.exit(1);
}
console.log(`check-packages: OK (${dirs.join(', ')})`);
