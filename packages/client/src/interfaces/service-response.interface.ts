import type { ServiceInstance } from '@nestmesh/discovery';
import type { Dispatcher } from 'undici';

/**
 * The answer of an instance, whatever its status. Read or discard `body` (`.json()`, `.text()`,
 * `for await`, `.dump()`): an unread body holds its connection.
 */
export interface ServiceResponse<TBody = Dispatcher.ResponseData['body']> {
  readonly status: number;
  readonly headers: Dispatcher.ResponseData['headers'];
  /** undici's readable body. */
  readonly body: TBody;
  /** The instance that answered. */
  readonly instance: ServiceInstance;
  /** How many attempts it took (1 when the first one answered). */
  readonly attempts: number;
}
