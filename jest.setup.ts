// CommonJS-only Nest packages (such as @nestjs/throttler) `require()` @nestjs/common and @nestjs/core.
// Under Jest's native ESM mode that fails with "Cannot require() ES Module @nestjs/common in a cycle"
// unless both ESM roots are already loaded, so load them before any test file.
import 'reflect-metadata';
import '@nestjs/common';
import '@nestjs/core';
