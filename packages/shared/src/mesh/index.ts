export { parseServiceSni, type ServiceSni, serviceSni } from './service-sni.js';
