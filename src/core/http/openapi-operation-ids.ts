import type { OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Operation ids a client generator can use as method names: the Rocket.Chat method name for
 * `/api/v1/<name>` (`integrations.create`), otherwise the path's words (`hooks.integrationId.token`,
 * `file_upload.fileId.fileName`);
 * with the HTTP method added where one path has several.
 */
export function withReadableOperationIds(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const operations = METHODS.filter((method) => item[method]);
    const words = path.startsWith('/api/v1/') ? path.slice('/api/v1/'.length) : path.replace(/^\//, '');
    const base = words.replace(/[{}]/g, '').replace(/\//g, '.').replace(/[^\w.]/g, '_') || 'root';
    for (const method of operations) {
      const operation = item[method];
      if (operation) operation.operationId = operations.length > 1 ? `${base}.${method}` : base;
    }
  }
  return document;
}
