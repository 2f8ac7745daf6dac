/**
 * A real serial line for the integration test: a pseudo-terminal pair joined by socat (Debian's
 * socat; .ci/run installs it where missing). The register writes to one end, the terminal's
 * reader opens the other through serialport's native binding, exactly as it opens /dev/ttyUSB0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export class PtyPair {
  private socat: ChildProcess | null = null;
  /** Held open while the pair is up: a pty whose last opener closes it reads as gone to socat. */
  private register: number | null = null;
  /** The register's end (it writes here) and the end the terminal reads (--pole-display). */
  readonly registerEnd: string;
  readonly terminalEnd: string;

  constructor(dir: string) {
    this.registerEnd = join(dir, 'register');
    this.terminalEnd = join(dir, 'pole');
  }

  /** Starts socat; resolves once both ends exist and it is passing bytes. */
  async up(): Promise<void> {
    const socat = spawn('socat', [
      '-d',
      '-d',
      `pty,raw,echo=0,link=${this.registerEnd}`,
      `pty,raw,echo=0,link=${this.terminalEnd}`,
    ]);
    this.socat = socat;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      socat.on('error', (error) =>
        reject(
          new Error(
            `socat could not start (${error.message}): install Debian's socat (.ci/run does)`,
          ),
        ),
      );
      socat.on('exit', (code) => reject(new Error(`socat exited (${code}): ${log}`)));
      socat.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('starting data transfer loop')) resolve();
      });
    });
    socat.removeAllListeners('exit');
    this.register = openSync(this.registerEnd, 'w');
  }

  /** The line vanishes: socat ends, both ptys close and their links go. */
  async down(): Promise<void> {
    if (this.register !== null) closeSync(this.register);
    this.register = null;
    const socat = this.socat;
    this.socat = null;
    if (socat === null || socat.exitCode !== null) return;
    const exited = once(socat, 'exit');
    socat.kill('SIGTERM');
    await exited;
  }

  /** What the register sends to its display. */
  write(bytes: Buffer): void {
    if (this.register === null) throw new Error('the line is down');
    writeSync(this.register, bytes);
  }
}
