/**
 * WeChat Pay v2's wire format: a flat <xml> of fields, signed HMAC-SHA256 with the merchant's API
 * key over the fields sorted by name ("k=v&...&key=API_KEY", empty values and `sign` left out),
 * upper-case hex. Used by the adapter and by the test gateway, so both sign the same way.
 *
 * The parser reads only flat <name>value</name> / CDATA fields; a DOCTYPE or an entity is
 * refused outright (no XML external entities, no billion laughs).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type XmlFields = Record<string, string>;

export function toXml(fields: XmlFields): string {
  const parts = Object.entries(fields).map(([name, value]) => {
    if (!/^[a-z_0-9]+$/i.test(name)) throw new Error(`bad XML field name: ${name}`);
    if (value.includes(']]>')) throw new Error(`field ${name} cannot be carried in CDATA`);
    return `<${name}><![CDATA[${value}]]></${name}>`;
  });
  return `<xml>${parts.join('')}</xml>`;
}

export function fromXml(text: string): XmlFields | null {
  const body = text.trim();
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return null;
  const inner = /^<xml>([\s\S]*)<\/xml>$/.exec(body);
  if (inner === null) return null;
  const fields: XmlFields = {};
  const field = /<([A-Za-z_0-9]+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;
  for (const match of (inner[1] as string).matchAll(field)) {
    fields[match[1] as string] = match[2] ?? match[3] ?? '';
  }
  return fields;
}

export function wechatSign(fields: XmlFields, apiKey: string): string {
  const text = Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== '' && fields[name] !== undefined)
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
  return createHmac('sha256', apiKey)
    .update(`${text}&key=${apiKey}`, 'utf8')
    .digest('hex')
    .toUpperCase();
}

export function wechatSignatureValid(fields: XmlFields, apiKey: string): boolean {
  const given = fields.sign;
  if (given === undefined || !/^[0-9A-F]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(wechatSign(fields, apiKey)));
}
