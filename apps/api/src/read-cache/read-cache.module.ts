import { Global, Module } from '@nestjs/common';
import { CachedReadInterceptor } from './cached-read.interceptor.js';
import { ReadCache } from './read-cache.service.js';

@Global()
@Module({ providers: [ReadCache, CachedReadInterceptor], exports: [ReadCache, CachedReadInterceptor] })
export class ReadCacheModule {}
