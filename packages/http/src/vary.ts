import type { FastifyReply } from 'fastify';

/** Adds `field` to the response's Vary header (other plugins, CORS among them, add theirs). */
export function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  if (current === undefined) {
    reply.header('vary', field);
    return;
  }
  const fields = typeof current === 'string' ? current.split(',').map((entry) => entry.trim()).filter(Boolean) : [];
  if (!fields.some((entry) => entry.toLowerCase() === field.toLowerCase())) fields.push(field);
  reply.header('vary', fields.join(', '));
}
