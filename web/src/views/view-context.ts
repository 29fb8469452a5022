import type { ApiClient } from '../api-client.ts';
import type { Session } from '../auth/session.ts';
import type { Route } from '../route.ts';

/** What every view is given. */
export interface ViewContext {
  api: ApiClient;
  session: Session;
  /**
   * Shows another view. `replace` keeps the step out of the back button's history; `addressOnly`
   * only updates the address, for a view that already shows the new state (a sorted table).
   */
  navigate(route: Route, options?: { replace?: boolean; addressOnly?: boolean }): void;
  /** Aborted when the reader moves on before this view finished loading. */
  signal: AbortSignal;
}
