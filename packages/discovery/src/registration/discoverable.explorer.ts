import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, ModulesContainer } from '@nestjs/core';
import { Discoverable } from '../decorators/discoverable.decorator.js';
import { DiscoveryConfigurationError } from '../errors/discovery-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { DiscoverableOptions } from '../interfaces/discoverable-options.interface.js';
import { markExamined } from './discoverable-bootstrap.check.js';

/** Where `@Discoverable()` was found and what it said. @internal */
export interface DiscoverableMatch {
  source: string;
  options: DiscoverableOptions;
}

/** Finds the one `@Discoverable()` of the app (module class or provider) through Nest's own registries. @internal */
@Injectable()
export class DiscoverableExplorer {
  private readonly logger = new Logger('ServiceDiscovery');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly modules: ModulesContainer,
  ) {}

  find(): DiscoverableMatch | undefined {
    const matches: DiscoverableMatch[] = [];
    for (const module of this.modules.values()) {
      const options = Reflect.getMetadata(Discoverable.KEY, module.metatype) as DiscoverableOptions | undefined;
      if (options) matches.push({ source: `@Discoverable() on ${module.metatype.name}`, options });
      if (options) markExamined(module.instance);
    }
    for (const wrapper of this.discovery.getProviders({ metadataKey: Discoverable.KEY })) {
      const options = this.discovery.getMetadataByDecorator(Discoverable, wrapper);
      const name = wrapper.metatype?.name ?? String(wrapper.token);
      markExamined(wrapper.instance);
      if (options && !matches.some((match) => match.source.endsWith(` ${name}`))) matches.push({ source: `@Discoverable() on ${name}`, options });
    }
    // Controllers are not where the module looks: say so (once here, instead of the "no module" warning).
    for (const wrapper of this.discovery.getControllers({ metadataKey: Discoverable.KEY })) {
      markExamined(wrapper.instance);
      this.logger.warn(messages.discoverableOnController(wrapper.metatype?.name ?? String(wrapper.token)));
    }
    if (matches.length > 1) throw new DiscoveryConfigurationError(messages.twoDiscoverables(matches[0].source, matches[1].source));
    return matches[0];
  }
}
