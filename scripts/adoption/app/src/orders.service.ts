import { Injectable } from '@nestjs/common';
import { CircuitBreaker } from '@nestmesh/resilience';

/** A provider with a @CircuitBreaker method: two failures in a row open the breaker. */
@Injectable()
export class OrdersService {
  /** How many times the method body actually ran (an open breaker stops it from running). */
  calls = 0;

  @CircuitBreaker({ consecutiveFailures: 2, halfOpenAfter: 60_000 })
  async find(id: string): Promise<{ id: string; status: string }> {
    this.calls += 1;
    if (id === 'boom') throw new Error('upstream failed');
    return { id, status: 'shipped' };
  }
}
