/** How much of each fault a run injects, and for how long the load runs. */
export interface FaultPlan {
  name: 'quick' | 'full';
  durationMs: number;
  /** Orders placed (and leads captured) per second. */
  ratePerSecond: number;
  killsPerService: number;
  kafkaGraceful: number;
  kafkaKill: number;
  kafkaDownMs: number;
  pgPauses: number;
  pgRestarts: number;
  slowHandlers: number;
  /** Times inventory's group loses its committed offsets (rewound REWIND messages per partition) while it is down. */
  offsetRewinds: number;
  /** Pause between two infrastructure faults (after the previous one has recovered). */
  gapMs: number;
}

// The full plan is issue 9's counts; quick is a smaller dose of every kind of fault, for CI.
export const FAULT_PLANS: Record<FaultPlan['name'], FaultPlan> = {
  full: {
    name: 'full',
    durationMs: 9 * 60_000,
    ratePerSecond: 2,
    killsPerService: 20,
    kafkaGraceful: 5,
    kafkaKill: 5,
    kafkaDownMs: 2_000,
    pgPauses: 5,
    pgRestarts: 2,
    slowHandlers: 1,
    offsetRewinds: 2,
    gapMs: 2_000,
  },
  quick: {
    name: 'quick',
    durationMs: 150_000,
    ratePerSecond: 2,
    killsPerService: 3,
    kafkaGraceful: 1,
    kafkaKill: 1,
    kafkaDownMs: 2_000,
    pgPauses: 1,
    pgRestarts: 1,
    slowHandlers: 1,
    offsetRewinds: 1,
    gapMs: 2_000,
  },
};
