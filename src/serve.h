/* serve.h: `mend serve` and `mend routes` (serve.c). */
#ifndef MEND_SERVE_H
#define MEND_SERVE_H

int cmd_serve(int argc, char **argv);
int cmd_routes(int argc, char **argv);

#endif
