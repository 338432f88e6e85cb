export * from './card/card-data.ts';
