# Independent re-implementation (in Python) of SeededRandom's Fisher-Yates shuffle, used to
# cross-check Digits.split() and the numbers pinned in Tests/SupportTests/DigitsTests.swift.
# Run from the repository root: python3 Tools/digits_split_oracle.py  (not run by CI)
M=(1<<64)-1
def rng(seed):
    sm=seed
    st=[]
    for _ in range(4):
        sm=(sm+0x9E3779B97F4A7C15)&M
        z=sm
        z=((z^(z>>30))*0xBF58476D1CE4E5B9)&M
        z=((z^(z>>27))*0x94D049BB133111EB)&M
        st.append(z^(z>>31))
    def rotl(x,k): return ((x<<k)|(x>>(64-k)))&M
    def nxt():
        r=(rotl((st[1]*5)&M,7)*9)&M
        t=(st[1]<<17)&M
        st[2]^=st[0]; st[3]^=st[1]; st[1]^=st[2]; st[0]^=st[3]; st[2]^=t; st[3]=rotl(st[3],45)
        return r
    return nxt
def integer(nxt,bound):
    p=nxt()*bound; low=p&M
    if low<bound:
        th=((1<<64)-bound)%bound
        while low<th:
            p=nxt()*bound; low=p&M
    return p>>64
nxt=rng(1797)
a=list(range(1797))
for i in range(1796,0,-1):
    j=integer(nxt,i+1); a[i],a[j]=a[j],a[i]
test=sorted(a[:300])
rows=[list(map(int,l.split(','))) for l in open('Sources/Datasets/Resources/digits.csv')]
import collections
c=collections.Counter(rows[i][64] for i in test)
print([c[d] for d in range(10)])
print("first test indices", test[:5], "first train", sorted(a[300:])[:5])
print("labels of first 5 test", [rows[i][64] for i in test[:5]])
print("total pixel sum", sum(sum(r[:64]) for r in rows))
print("row0", rows[0])
