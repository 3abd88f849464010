print("chapter 5")
