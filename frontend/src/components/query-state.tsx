import type { ReactNode } from 'react';
import type { CombinedError } from '@urql/core';
import { Alert } from '@/components/ui/alert';
import { Empty } from '@/components/ui/empty';
import { Skeleton } from '@/components/ui/skeleton';
import { BUSY_CODE, busyRetryMessage, normalizeError, tryAgainIn } from '@/lib/errors';
import { useTranslation } from 'react-i18next';

export interface QueryStateProps {
  /** What is being loaded, e.g. "Loading products": the loading state's accessible name. */
  loadingLabel: string;
  fetching: boolean;
  error?: CombinedError;
  /** Loaded, but nothing to show. */
  isEmpty?: boolean;
  emptyDescription?: string;
  /** Shown under the empty state, e.g. a link to somewhere with content. */
  emptyExtra?: ReactNode;
  children: ReactNode;
}

/** The loading / error / empty / data states every list view shares (drawn without antd: the
 * flash-sale page, which loads no antd, shows them too). */
export function QueryState({
  loadingLabel,
  fetching,
  error,
  isEmpty = false,
  emptyDescription,
  emptyExtra,
  children,
}: QueryStateProps) {
  useTranslation(); // messages follow the page language
  if (error) {
    const { code, message, retryAfter } = normalizeError(error);
    if (code === BUSY_CODE && retryAfter !== null) {
      // The client sends the query again by itself (busy-retry-exchange.ts).
      return <Alert type="warning" title={busyRetryMessage(retryAfter)} />;
    }
    const description = retryAfter === null ? undefined : tryAgainIn(retryAfter);
    return <Alert type="error" title={message} description={description} />;
  }
  if (fetching) {
    return (
      <div role="status" aria-label={loadingLabel}>
        <Skeleton />
      </div>
    );
  }
  if (isEmpty) return <Empty description={emptyDescription}>{emptyExtra}</Empty>;
  return <>{children}</>;
}
