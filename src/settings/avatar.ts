import { createHash } from 'node:crypto';

/** Material 700 shades, white text readable on each; the first is the reference's single colour. */
const PALETTE = ['#00796B', '#1976D2', '#C2185B', '#7B1FA2', '#512DA8', '#303F9F', '#0288D1', '#388E3C', '#E64A19', '#5D4037', '#455A64', '#D32F2F'];

/** A colour that depends only on the email (case-insensitive), so one person keeps one colour everywhere. */
export function avatarColour(email: string): string {
  const digest = createHash('sha256').update(email.trim().toLowerCase()).digest();
  return PALETTE[digest.readUInt32BE(0) % PALETTE.length] as string;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A 48×48 SVG: the upper-cased first character of the email, white bold sans-serif on a colour square. Nothing is
 * looked up (the reference draws the same for any string), so the image is cacheable and reveals nothing.
 */
export function avatarSvg(email: string): string {
  const first = [...email.trim()][0] ?? '?';
  const letter = escapeXml(first.toUpperCase());
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">' +
    `<rect width="48" height="48" fill="${avatarColour(email)}"/>` +
    `<text x="24" y="24" dy="0.35em" text-anchor="middle" fill="#FFFFFF" font-family="Roboto, Arial, sans-serif" font-weight="bold" font-size="24">${letter}</text>` +
    '</svg>'
  );
}
