import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** For the TypeORM CLI (`npm run migration:*`): needs DATABASE_URL pointing at a PostgreSQL. */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL database to generate or run migrations from the CLI');

export default new DataSource({
  ...dataSourceOptions({ url }, 2),
  entities: [`${__dirname}/../../**/*.entity.{ts,js}`],
});
