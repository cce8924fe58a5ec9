/** The largest quantity one order may have (keeps the total a safe integer, in memory and in Redis). */
export const MAX_QUANTITY = 1_000_000;
/** The longest item name, in characters. */
export const MAX_ITEM_LENGTH = 200;

const FIELDS = ['item', 'quantity'];

/** A checked `POST /orders` body. */
export interface OrderInput {
  item: string;
  quantity: number;
}

/**
 * Checks a `POST /orders` body: `{ item, quantity? }` and nothing else (an order's `id`, `status` and
 * `createdAt` are the service's to set). Returns the input, or a message naming the field, the value and the fix.
 */
export function parseOrderInput(body: unknown): OrderInput | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return `The body must be a JSON object such as {"item":"book","quantity":2}, got ${describe(body)}.`;
  }
  const unknown = Object.keys(body).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) return `Unknown field ${JSON.stringify(unknown)}: an order takes only "item" and "quantity" (its id, status and createdAt are set by the service).`;
  const { item, quantity = 1 } = body as { item?: unknown; quantity?: unknown };
  if (typeof item !== 'string' || item.length === 0) return `"item" must be a non-empty string, got ${describe(item)}.`;
  if (item.length > MAX_ITEM_LENGTH) return `"item" must be at most ${MAX_ITEM_LENGTH} characters, got ${item.length}.`;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    return `"quantity" must be an integer from 1 to ${MAX_QUANTITY}, got ${describe(quantity)}.`;
  }
  return { item, quantity };
}

/** An order id as `GET /orders/:id` and `orders.get` take it: a positive integer, as a string or a number. */
export function parseOrderId(id: unknown): string | undefined {
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return String(id);
  if (typeof id === 'string' && /^[1-9]\d{0,15}$/.test(id)) return id;
  return undefined;
}

function describe(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
