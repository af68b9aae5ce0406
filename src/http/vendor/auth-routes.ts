/** `POST /service/cloud/auth` — the one public vendor endpoint (reference §2, documented). */
import type { AuthService } from '../auth.ts';
import { route, type VendorRoute } from '../route-table.ts';

export function authRoutes(auth: AuthService): VendorRoute[] {
  return [
    route({
      method: 'POST',
      writes: true,
      path: '/service/cloud/auth',
      summary: 'Get the Authorization token',
      fidelity: 'documented',
      request: 'auth-request',
      response: 'auth-response',
      auth: false,
      handle: ({ input }) => ({ token: auth.login(input.APPKey, input.APPSecret).token }),
    }),
  ];
}
