import { BadRequestException, Body, Controller, Get, Param, Post } from '@nestjs/common';
import { OrdersStore, type Order } from './orders.store.js';

@Controller('orders')
export class OrdersController {
  constructor(private readonly store: OrdersStore) {}

  @Get()
  list(): Order[] {
    return this.store.list();
  }

  @Get(':id')
  get(@Param('id') id: string): Order {
    return this.store.get(id);
  }

  @Post()
  create(@Body() body: { item?: unknown; quantity?: unknown }): Order {
    const { item, quantity = 1 } = body ?? {};
    if (typeof item !== 'string' || item.length === 0) throw new BadRequestException(`"item" must be a non-empty string, got ${JSON.stringify(item)}.`);
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
      throw new BadRequestException(`"quantity" must be an integer >= 1, got ${JSON.stringify(quantity)}.`);
    }
    return this.store.create(item, quantity);
  }
}
