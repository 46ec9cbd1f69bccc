import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ChangeFeed } from './change-feed';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedDatabase } from './embedded-database';

const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');
/** Pool size against a real PostgreSQL; the embedded database always gets exactly one. */
const POSTGRES_POOL_SIZE = 10;

/** Closes the data source before the embedded server under it, so no query is cut mid-flight. */
@Injectable()
class EmbeddedDatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedDatabase | null,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded.stop();
  }
}

@Module({
  providers: [
    {
      provide: EMBEDDED_DATABASE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        if (!config.usesEmbeddedDatabase) return null;
        const embedded = await EmbeddedDatabase.start(config.dataDir);
        new Logger('Database').log(
          `Embedded PostgreSQL (PGlite) ${config.dataDir === 'memory://' ? 'in memory' : `in ${config.dataDir}/pglite`}`,
        );
        return embedded;
      },
    },
  ],
  exports: [EMBEDDED_DATABASE],
})
class EmbeddedDatabaseModule {}

@Global()
@Module({
  providers: [EmbeddedDatabaseLifecycle, ChangeFeed],
  exports: [ChangeFeed],
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [AppConfig, EMBEDDED_DATABASE],
      useFactory: (config: AppConfig, embedded: EmbeddedDatabase | null) => ({
        ...(embedded
          ? dataSourceOptions(embedded.target, 1)
          : dataSourceOptions({ url: config.databaseUrl as string }, POSTGRES_POOL_SIZE)),
        autoLoadEntities: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
