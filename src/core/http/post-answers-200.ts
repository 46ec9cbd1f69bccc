import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Rocket.Chat answers every POST with 200; Nest's default for POST is 201. Every POST route
 * without its own `@HttpCode` is given 200 here, once, before the routes are registered (a
 * forgotten decorator once answered 201). The OpenAPI document reads the same metadata.
 */
export function postsAnswer200(app: NestFastifyApplication): void {
  const scanner = new MetadataScanner();
  const controllers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()]);
  for (const wrapper of controllers) {
    const prototype = wrapper.metatype?.prototype as Record<string, unknown> | undefined;
    if (!prototype) continue;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      if (Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST && Reflect.getMetadata(HTTP_CODE_METADATA, handler) === undefined) {
        Reflect.defineMetadata(HTTP_CODE_METADATA, 200, handler);
      }
    }
  }
}
