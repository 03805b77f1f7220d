# only comments in this file
// nothing else
/* really */
