from htreport.cli import main

main()
