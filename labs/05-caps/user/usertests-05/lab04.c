// lab04.c: lab 04's runner and cases (user/usertests-04), built into this
// program too: a program is built from its own directory's files only.
#include "../usertests-04/calls04.c"
#include "../usertests-04/ut.c"
