export type { TrafficAction, PermissionRule, InboundPermissions } from './traffic-permission-rules.js';
