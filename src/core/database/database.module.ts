import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { runMigrationsLocked } from './locked-migrations';
import { AppConfig } from '../config/app-config';
import { ChangeFeed } from './change-feed';
import { DatabaseAvailability } from './database-availability';
import { DATABASE_TARGET, DatabaseTarget, dataSourceOptions } from './data-source-options';
import { EmbeddedDatabase } from './embedded-database';
import { PreparedStatements } from './prepared-statements';
import { RowCountsFolder } from './row-counts-folder';

const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');
/** Connections per process, on the embedded and on an external PostgreSQL alike. */
const POOL_SIZE = 10;

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

/**
 * The database connection: to `DATABASE_URL`, or to the embedded server createApp started (it is
 * started before the application, so a refusal to start is reported plainly, and it is stopped
 * after the connections are closed).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(embedded: EmbeddedDatabase | null): DynamicModule {
    const target: DynamicModule = {
      module: DatabaseTargetModule,
      providers: [
        { provide: EMBEDDED_DATABASE, useValue: embedded },
        {
          provide: DATABASE_TARGET,
          inject: [AppConfig],
          useFactory: (config: AppConfig): DatabaseTarget => embedded?.target ?? { url: config.databaseUrl as string },
        },
      ],
      exports: [EMBEDDED_DATABASE, DATABASE_TARGET],
    };
    return {
      module: DatabaseModule,
      imports: [
        target,
        TypeOrmModule.forRootAsync({
          imports: [target],
          inject: [DATABASE_TARGET],
          useFactory: (where: DatabaseTarget) => ({
            ...dataSourceOptions(where, POOL_SIZE),
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options as DataSourceOptions).initialize();
            try {
              await runMigrationsLocked(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        }),
      ],
      providers: [EmbeddedDatabaseLifecycle, ChangeFeed, DatabaseAvailability, RowCountsFolder, PreparedStatements],
      exports: [ChangeFeed, DatabaseAvailability, RowCountsFolder, PreparedStatements, target],
    };
  }
}

@Module({})
class DatabaseTargetModule {}
