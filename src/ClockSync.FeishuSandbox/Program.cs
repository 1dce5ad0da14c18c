// Placeholder entry point: the sandbox server arrives with the Feishu issue.
return 0;
