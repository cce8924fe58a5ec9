import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { ServiceDiscovery, isDiscoveryConfigurationError, type ServiceInstance } from '@nestmesh/discovery';

/** What discovery knows: `GET /services/orders?all=true` lists every instance with its health. */
@Controller('services')
export class ServicesController {
  constructor(private readonly discovery: ServiceDiscovery) {}

  @Get(':name')
  async instances(@Param('name') name: string, @Query('all') all?: string): Promise<ServiceInstance[]> {
    try {
      return await this.discovery.getInstances(name, { passingOnly: all !== 'true' });
    } catch (error) {
      if (isDiscoveryConfigurationError(error)) throw new BadRequestException(error.message);
      throw error;
    }
  }
}
