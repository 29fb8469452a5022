import { type LocalTokenScope, mintLocalToken } from '#lib/auth/local-token.ts';
import type { LocalSettings } from './local-settings.ts';

export interface LocalTokenGrant {
  sub: string;
  scopes: readonly LocalTokenScope[];
  courseIds: readonly string[];
  /** The submissions a writer may write, in SUBMISSION_CLAIM; ignored when that is not set. */
  submissionIds?: readonly string[];
  ttlSeconds: number;
}

/** A token the local server with these settings accepts: its key, its scope strings and its claim names. */
export function mintForLocalServer(settings: LocalSettings, { submissionIds, ...grant }: LocalTokenGrant): Promise<string> {
  const { dataDir, scopeOverrides, courseClaim, submissionClaim } = settings;
  return mintLocalToken({
    ...grant,
    dataDir,
    scopeOverrides,
    courseClaim,
    ...(submissionIds && submissionClaim && { extraClaims: { [submissionClaim]: [...submissionIds] } }),
  });
}
