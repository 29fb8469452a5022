/** How the page gets a bearer token and, when it is refused, a new one. */
export interface Session {
  token(): string | undefined;
  /** What the 401 view offers: sign in again (OIDC), or how to get a new local link. */
  renewal: { kind: 'redirect'; signIn(): void } | { kind: 'instructions'; text: string };
}
