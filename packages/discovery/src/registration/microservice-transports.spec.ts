import { Transport } from '@nestjs/microservices';
import { TCP_TRANSPORT_ID } from './microservice-transports.js';

describe('MicroserviceTransports', () => {
  it("names @nestjs/microservices' Transport.TCP without importing the optional package", () => {
    expect(TCP_TRANSPORT_ID).toBe(Transport.TCP);
  });
});
