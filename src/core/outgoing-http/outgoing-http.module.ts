import { Global, Module } from '@nestjs/common';
import { OutgoingHttp } from './outgoing-http';

@Global()
@Module({ providers: [OutgoingHttp], exports: [OutgoingHttp] })
export class OutgoingHttpModule {}
