/* Probe: what a random 4 KiB pread costs when the file's pages are not in
 * the OS page cache (check with `fincore FILE`), and at once again when
 * they are. 200 reads at pseudo-random page numbers. Not built by CMake:
 *
 *   cc -O2 benchmarks/probes/cold_read.c -o /tmp/cold_read
 *   fincore FILE; /tmp/cold_read FILE; /tmp/cold_read FILE
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
static double now_us(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e6+t.tv_nsec/1e3;}
int main(int argc,char**argv){int fd=open(argv[1],O_RDONLY);struct stat st;fstat(fd,&st);long pages=st.st_size/4096;char buf[4096];srand(1);double tot=0;int n=200;
for(int i=0;i<n;i++){long p=((long)rand()*7919)%pages;double t=now_us();pread(fd,buf,4096,p*4096);tot+=now_us()-t;}
printf("%d random 4 KiB preads: mean %.1f us\n",n,tot/n);}
