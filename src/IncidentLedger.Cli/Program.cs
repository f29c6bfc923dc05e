using IncidentLedger.Cli;

return await LedgerCli.RunAsync(args, Console.Out, Console.Error);
