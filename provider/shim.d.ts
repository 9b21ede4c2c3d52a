import type * as pulumi from "@pulumi/pulumi";

/** Builds the small, stable object that Pulumi serializes into `__provider` for one connection kind. */
export declare function createShim(kind: string): pulumi.dynamic.ResourceProvider;
