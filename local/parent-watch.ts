/**
 * Calls `onGone` once the process that started this one has gone (this one handed to another parent).
 *
 * Why: npm runs `npm start` as `sh -c '<script>'` and passes its SIGTERM only to that shell, which dies
 * without passing it on; the server would live on, orphaned, holding its port and DATA_DIR. Node has no
 * "parent died" signal, so the parent's id is checked once a second (the timer keeps nothing alive).
 */
export function whenParentGone(onGone: () => void, intervalMs = 1000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
}
