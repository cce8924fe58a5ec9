import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every process that a helper started and that is still alive (synchronous: safe in `exit`). */
export function killAllManagedProcesses(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed or timed-out test run must not leave agents behind.
  process.once('exit', killAllManagedProcesses);
}

/** A child process started by a helper, with its output kept for error messages. */
export class ManagedProcess {
  private output = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess, readonly label: string) {
    installExitHook();
    running.add(child);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
    });
  }

  /** Starts `command` with piped output. */
  static start(command: string, args: string[], label: string, options: SpawnOptions = {}): ManagedProcess {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    return new ManagedProcess(child, label);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last 20 000 characters the process printed. */
  get log(): string {
    return this.output;
  }

  /** Resolves with the exit code and signal once the process has exited. */
  waitForExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** Sends `signal`, then SIGKILL after `graceMs` if the process is still alive. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.alive) this.child.kill(signal);
    const timer = setTimeout(() => this.alive && this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until the output contains `text`, failing with the output if the process exits first. */
  async waitForOutput(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const found = () => (typeof text === 'string' ? this.output.includes(text) : text.test(this.output));
    const deadline = Date.now() + timeoutMs;
    while (!found()) {
      if (!this.alive) throw new Error(`${this.label} exited before printing ${String(text)}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.label} did not print ${String(text)} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
