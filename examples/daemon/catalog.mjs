// The daemon's catalog: one timed event per HTTP request.
import { attr, defineCatalog, outcome } from 'optel';

export const catalog = defineCatalog({
  app: 'notesd',
  events: {
    'notesd.http.request': {
      description: 'The daemon answered an HTTP request.',
      duration: true,
      attributes: {
        'http.route': attr.enum(['/notes', '/health', 'unknown'], { description: 'Route template that matched.' }),
        'http.request.method': attr.enum(['GET', 'POST', 'OTHER'], { description: 'HTTP method.' }),
        ...outcome(),
      },
    },
    'notesd.note.created': {
      description: 'A note was stored.',
      attributes: { 'note.length': attr.bucket([0, 100, 1000, 10000], { description: 'Size of the note in characters.' }) },
    },
  },
});

export default catalog;
