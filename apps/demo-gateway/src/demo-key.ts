import { SignJWT, importJWK, type JWK } from 'jose';

/**
 * The built-in demo signing key, used when JWT_JWKS_URL is unset. **Its private half is published here: it
 * proves nothing outside the demo.** Set JWT_JWKS_URL to your identity provider's JWKS for anything real.
 */
const DEMO_PRIVATE_JWK: JWK = {
  "kty": "RSA",
  "n": "x86nGdEo579yQr5lTVvKPwOa1ykZlKRVGVC1nGFbFWjV1TD7x4DFbpNasPTAwU4T874VbiGSf5HSf8zB_eKt2v3Q4VZ8NRk5BaWnGWItIA6I7OqZkk_O5JKHZ1PW3cMVUfb5BXeU3OA4zOdsu9r7gLhgogcKuPNkkomXpVE4Ip9Y6F97XSpEuFvt14Q-ohrVyXYuoJsq-OwPT7Kop4OVWupS9yxr61RXC8FMjqteqNjW_i4jHqdx2qkCqVZi6L5kYz8RUGMUoDZXVht8lvCVheYEjhzS3AMm5bm8qEn6kVdkbZoJxnHtu5HOyEJwk-BKZRRlTDWNrMCcuCOmzJn8Vw",
  "e": "AQAB",
  "d": "AhRrwdre_vaLr8J_7HEMUbaYZIKdgmIULq9xNypTl-Kfoy302PaarNQk1AW1ge2YSz0LHQ_au1rfDYx_PRogbtCd3X1DIrcF_xc3042lju6ydyuD-LVoSmcfY1sd4pthZpktrg8OF3R6suClIu7HF70TkxbZV45_rqohpXYLIbUb3ZEdRAG3y4TqlQ_2vQEcOWVKIdjd0qCTkQno4Iw8dhL3y21oijdrNlRBH_UbZrL849kzO8VHsHQAqPtv-zIk2RntWCJPDf3Tr4Wo8KdvD6ejlDi4Z2AUCCkSdVL8-prJ6SsGBV-bQQc_inhIE7kiVFkKjRYAdFUI2vxCFAiahQ",
  "p": "5K_vb_lvEXc4W6erMwpRwhN37dtW17MTFQHp-Jjm6ksR8ekgw-zvohCfpJ2JZlMSkbMtm2Mlyq6G4xoJxs4L_NnOyZsklKM_98-0zjs6r-MHV-5W1vhQd6ZJCp9ycUosNwgw4ndIBmir9T8Du9fEequmPjTGRb3sSCJ5q5l0jr0",
  "q": "36u3mOKkkgwlWMcg_Df1piDg-Jqcc3x85m8BMrsyJjkm7GI383COE5URuWAQgqJPRmrt3F4u23-PWSuQjFryb1NbuRShsHk5CwUNQTkbhAgObyGhmQf7NcG_JVhrl_EBVBDPmF5Af1J1jdYeKiGqlXA814xQHjby6E9x6pQGIqM",
  "dp": "t71j8-PFiZLwhTPCKdAwwG5D_agtrkEDI-3Vvxea8MRANs3ItaK5Js2Udv7cVoqIcOg1zJNs2dxAJFfXYxRKLW4S54jvaz1_N-x6qPiNvqP6Unv86du5S2kfZpmVqdCeldjO7iZIiF2xS-rFZTeHdchUWcatR3vBTHPmriktrUE",
  "dq": "2V7dp9QjUdhB91xWfye3MQNk_9XqVAXYsG2SwYXRf_otDK-LZqetO_S0a-6jPQGWf33tuitB6Im4e1VuPiko0O43BtC5LnMw77eyIP_p8M-Pj4skrD9ocN7g799VeS18OAG6bn6yucoeeoBrglCDooWYa3Zual7GhOSodevzZnc",
  "qi": "kBEhxuXxDfrcRxYwuXnBghUySFUlMxI-q1UbO7N4z8mwz8irlhHV23raWcjQtbcBPRZBmd47UPpxM48Sn-27qDIeuWyiObq1QZt51NXx93VOYiLtbEAGKZIgB9ZUaWjwpB4hiRJcmtWno-RD10aZNN9nKUSAFxgPl0oc2op2lyc",
  "kid": "nestmesh-demo-1",
  "alg": "RS256",
  "use": "sig"
};

/** The public half, as the JWKS the gateway verifies demo tokens with. */
export const DEMO_JWKS = { keys: [{"kty": "RSA", "n": "x86nGdEo579yQr5lTVvKPwOa1ykZlKRVGVC1nGFbFWjV1TD7x4DFbpNasPTAwU4T874VbiGSf5HSf8zB_eKt2v3Q4VZ8NRk5BaWnGWItIA6I7OqZkk_O5JKHZ1PW3cMVUfb5BXeU3OA4zOdsu9r7gLhgogcKuPNkkomXpVE4Ip9Y6F97XSpEuFvt14Q-ohrVyXYuoJsq-OwPT7Kop4OVWupS9yxr61RXC8FMjqteqNjW_i4jHqdx2qkCqVZi6L5kYz8RUGMUoDZXVht8lvCVheYEjhzS3AMm5bm8qEn6kVdkbZoJxnHtu5HOyEJwk-BKZRRlTDWNrMCcuCOmzJn8Vw", "e": "AQAB", "kid": "nestmesh-demo-1", "alg": "RS256", "use": "sig"}] };

/** Options of {@link mintDemoToken}. */
export interface DemoTokenOptions {
  /** Space-separated scopes (the `scope` claim). Default `'orders:read orders:write'`. */
  scope?: string;
  /** An `scp` array claim instead of `scope` (as Azure AD and Okta send). Default: none. */
  scp?: string[];
  /** The `sub` claim. Default `'demo-user'`. */
  subject?: string;
  /** Lifetime in seconds. Default `3600`. */
  expiresIn?: number;
  issuer: string;
  audience: string;
}

/** Signs a demo token with the built-in key (RS256, `kid` `nestmesh-demo-1`). */
export async function mintDemoToken(options: DemoTokenOptions): Promise<string> {
  const key = await importJWK(DEMO_PRIVATE_JWK, 'RS256');
  return new SignJWT(options.scp ? { scp: options.scp } : { scope: options.scope ?? 'orders:read orders:write' })
    .setProtectedHeader({ alg: 'RS256', kid: DEMO_PRIVATE_JWK.kid!, typ: 'JWT' })
    .setSubject(options.subject ?? 'demo-user')
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.expiresIn ?? 3600}s`)
    .sign(key);
}
