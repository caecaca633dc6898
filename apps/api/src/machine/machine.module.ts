import { Module } from '@nestjs/common';
import { MachineController } from './machine.controller.js';

@Module({ controllers: [MachineController] })
export class MachineModule {}
