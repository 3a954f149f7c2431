#ifndef OUTPOST_CNETSNMP_SHIM_H
#define OUTPOST_CNETSNMP_SHIM_H
// Order matters: these must precede net-snmp-config.h, whose _GNU_SOURCE otherwise
// breaks fd_set against Dispatch (see shared/STACK-NOTES.md).
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <string.h>
#include <stdlib.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#endif
