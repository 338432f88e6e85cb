export * from '../adapter-exports.ts';
export type { TrustProxy } from './client-address.ts';
export {
  type PaydoCheckoutDecorator,
  type PaydoPluginOptions,
  paydo as default,
  paydo,
  paydoRedactPaths,
} from './plugin.ts';
