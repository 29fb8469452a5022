const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** A token lifetime such as "90", "30s", "15m", "1h" or "7d", in seconds (no suffix means seconds). */
export function parseTtlSeconds(ttl: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(ttl.trim());
  const amount = Number(match?.[1]);
  if (!match || amount <= 0) throw new Error(`Invalid ttl ${JSON.stringify(ttl)}: use a positive whole number with s, m, h or d, e.g. 1h`);
  const unit = (match[2] || 's') as keyof typeof SECONDS_PER_UNIT;
  return amount * SECONDS_PER_UNIT[unit];
}
