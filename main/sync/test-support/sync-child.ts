/**
 * A terminal's sync in a process of its own, for the kill test: `node --import tsx
 * sync-child.ts '<SyncWorkerOptions as JSON>'`. Prints each status as a JSON line; SIGTERM stops
 * it cleanly, SIGKILL (the test's point) does not.
 */
import { SyncWorker, type SyncWorkerOptions } from '../index';

const options = JSON.parse(process.argv[2] ?? '{}') as SyncWorkerOptions;
const sync = SyncWorker.start({
  ...options,
  onStatus: (status) => process.stdout.write(`${JSON.stringify({ status })}\n`),
});
process.stdout.write('SYNC_CHILD_STARTED\n');
process.on('SIGTERM', () => {
  void sync.stop().then(() => process.exit(0));
});
