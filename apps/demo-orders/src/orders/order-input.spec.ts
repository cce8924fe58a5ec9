import { MAX_ITEM_LENGTH, MAX_QUANTITY, parseOrderId, parseOrderInput } from './order-input.js';

describe('parseOrderInput', () => {
  it('takes { item, quantity }, quantity 1 by default', () => {
    expect(parseOrderInput({ item: 'book', quantity: 2 })).toEqual({ item: 'book', quantity: 2 });
    expect(parseOrderInput({ item: 'book' })).toEqual({ item: 'book', quantity: 1 });
    expect(parseOrderInput({ item: 'x'.repeat(MAX_ITEM_LENGTH), quantity: MAX_QUANTITY })).toEqual({ item: 'x'.repeat(MAX_ITEM_LENGTH), quantity: MAX_QUANTITY });
  });

  it.each([
    [null, 'The body must be a JSON object such as {"item":"book","quantity":2}, got null.'],
    [[{ item: 'book' }], 'The body must be a JSON object'],
    ['book', 'got "book"'],
    [{ item: '' }, '"item" must be a non-empty string, got "".'],
    [{}, '"item" must be a non-empty string, got nothing.'],
    [{ item: 'x'.repeat(MAX_ITEM_LENGTH + 1) }, `"item" must be at most ${MAX_ITEM_LENGTH} characters, got ${MAX_ITEM_LENGTH + 1}.`],
    [{ item: 'book', quantity: 0 }, `"quantity" must be an integer from 1 to ${MAX_QUANTITY}, got 0.`],
    [{ item: 'book', quantity: 1.5 }, 'got 1.5'],
    [{ item: 'book', quantity: '2' }, 'got "2"'],
    [{ item: 'book', quantity: 1e300 }, 'got 1e+300'],
    [{ item: 'book', status: 'paid' }, 'Unknown field "status": an order takes only "item" and "quantity" (its id, status and createdAt are set by the service).'],
    [{ item: 'book', id: '1' }, 'Unknown field "id"'],
  ])('refuses %j with a message naming the field and the value', (body, message) => {
    expect(parseOrderInput(body)).toEqual(expect.stringContaining(message));
  });
});

describe('parseOrderId', () => {
  it('takes positive integers, as strings or numbers', () => {
    expect(parseOrderId('1')).toBe('1');
    expect(parseOrderId(42)).toBe('42');
  });

  it.each([['0'], ['01'], ['-1'], ['1.5'], ['abc'], [''], ['1'.repeat(17)], [0], [1.5], [null], [undefined], [{ id: 1 }]])('refuses %j', (id) => {
    expect(parseOrderId(id)).toBeUndefined();
  });
});
