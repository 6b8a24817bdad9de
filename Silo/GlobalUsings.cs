// Orleans' hosting and runtime types are used throughout the node builders.
global using Orleans.Hosting;
global using Orleans.Runtime;
