// The router's own executor of query plans (ROUTER_EXECUTOR=own): Apollo Server still parses,
// validates and hands the request over, @apollo/query-planner still plans; the plan is run
// here, as many at once as the event loop keeps up with (admission.ts). It answers as @apollo/gateway's executor does (router/test/plan-executor checks it case
// by case); what it does not run goes to the gateway's executor.
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { RouterContext } from '../request-context.js';
import { createPlanExecutor } from './executor.js';
import { OperationPlans } from './operation-plans.js';
import { AdaptiveAdmission } from './admission.js';

type Gateway = ApolloServerOptionsWithGateway<RouterContext>['gateway'];

export interface PlanExecutorFeatureOptions {
  enabled: boolean;
  serviceMap: () => Record<string, GraphQLDataSource>;
  /** Answers written as JSON text become `data` through this (shared-execution's serializer). */
  dataFromText?: (dataText: string) => Record<string, unknown>;
}

export function planExecutorFeature({ enabled, serviceMap, dataFromText }: PlanExecutorFeatureOptions) {
  return {
    /** The gateway with its executor replaced by this one (the gateway's own kept for what this one hands back). */
    wrapGateway(gateway: Gateway): Gateway {
      if (!enabled) return gateway;
      const admission = new AdaptiveAdmission();
      // The supergraph as the gateway last loaded it; plans are rebuilt for a new one.
      let current: { sdl: string; schema: GraphQLSchema; plans: OperationPlans } | undefined;
      const unsubscribe = gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
        if (current?.sdl !== coreSupergraphSdl) current = { sdl: coreSupergraphSdl, schema: apiSchema, plans: new OperationPlans(coreSupergraphSdl) };
      });
      return {
        onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
        stop: async () => {
          unsubscribe();
          admission.close();
          await gateway.stop();
        },
        async load(options) {
          const loaded = await gateway.load(options);
          if (!loaded.executor) return loaded;
          const executor = createPlanExecutor({
            current: () => {
              if (!current) throw new Error('the supergraph is not loaded yet');
              return current;
            },
            serviceMap,
            fallback: loaded.executor,
            admission,
            dataFromText,
          });
          return { ...loaded, executor };
        },
      };
    },
  };
}
