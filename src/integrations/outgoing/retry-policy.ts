/**
 * Rocket.Chat's retry delays (integrations spec §5.7), in milliseconds, for the retry after
 * attempt `tries` (0 for the first call): powers-of-ten 100 ms, 1 s, 10 s…; powers-of-two 2 s,
 * 4 s, 8 s…; increments-of-two 2 s, 4 s, 6 s…. Undefined for an unknown strategy.
 */
export function retryDelayMs(strategy: string, tries: number): number | undefined {
  switch (strategy) {
    case 'powers-of-ten':
      return 10 ** (tries + 2);
    case 'powers-of-two':
      return 2 ** (tries + 1) * 1000;
    case 'increments-of-two':
      return (tries + 1) * 2 * 1000;
    default:
      return undefined;
  }
}
