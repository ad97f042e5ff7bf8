// Integration runs end without --forceExit: every suite closes what it opens, and jest exits by itself. If
// something is still open (a suite that failed before its afterAll could close a Kafka client, say), this
// says so and ends the run with jest's own exit code instead of leaving CI hanging until its time-out.
const GRACE_MS = 15_000;

export default function exitIfSomethingStaysOpen(): void {
  setTimeout(() => {
    const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    console.error(
      `jest: still running ${GRACE_MS / 1000} s after the last suite, held open by ${open.join(', ')}; exiting. ` +
        'A suite leaves a client, pool or timer open: find it with --detectOpenHandles.',
    );
    process.exit();
  }, GRACE_MS).unref();
}
