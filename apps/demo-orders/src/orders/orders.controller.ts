import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import type { Order } from './order.interface.js';
import { parseOrderId, parseOrderInput } from './order-input.js';
import { OrdersService } from './orders.service.js';

/** `GET /orders`, `GET /orders/:id` and `POST /orders {"item":"book","quantity":2}`. */
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  list(): Promise<Order[]> {
    return this.orders.list();
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<Order> {
    const order = parseOrderId(id) === undefined ? undefined : await this.orders.get(id);
    if (!order) throw new NotFoundException(`Order ${JSON.stringify(id.slice(0, 40))} does not exist: ids are positive integers, see GET /orders.`);
    return order;
  }

  @Post()
  create(@Body() body: unknown): Promise<Order> {
    const input = parseOrderInput(body);
    if (typeof input === 'string') throw new BadRequestException(input);
    return this.orders.create(input);
  }
}
