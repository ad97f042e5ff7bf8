// autocannon ships no types; the part the bench uses.
declare module 'autocannon' {
  interface Result {
    requests: { average: number; mean: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  }
  function autocannon(opts: { url: string; connections?: number; duration?: number; pipelining?: number; headers?: Record<string, string> }): Promise<Result>;
  export default autocannon;
}
