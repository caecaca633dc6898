import { Global, Module } from '@nestjs/common';
import { CachedReadInterceptor } from './cached-read.interceptor.js';
import { ReadCacheRepository } from './read-cache.repository.js';
import { ReadCache } from './read-cache.service.js';

@Global()
@Module({ providers: [ReadCache, ReadCacheRepository, CachedReadInterceptor], exports: [ReadCache, CachedReadInterceptor] })
export class ReadCacheModule {}
