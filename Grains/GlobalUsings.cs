// Orleans' programming model is used by every grain file.
global using Orleans;
global using Orleans.Runtime;
